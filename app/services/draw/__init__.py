"""The draw's services beyond the ceremony steps of app.services.draws: where the program's secret
waits for the reveal, and the command line's recovery (resume, export again)."""
