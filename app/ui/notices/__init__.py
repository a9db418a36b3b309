"""告知书与送达: issuing, printing, 送达, 作废, the register, evidence files and the QR check."""
