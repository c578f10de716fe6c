"""Importers: entries from national catalogues (PTV, Lähellä.fi) written as catalogue YAML."""
