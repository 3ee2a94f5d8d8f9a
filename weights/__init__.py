"""Shipped generator files, installed as the package `pixelgan.weights`; see weights/README.md."""
