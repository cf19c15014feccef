"""Kwamdee (ความดี): good deeds recorded, verified and credited."""
