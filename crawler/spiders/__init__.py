"""The spiders (one generic spider drives every site)."""
