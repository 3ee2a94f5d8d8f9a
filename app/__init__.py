"""The HTTP service: FastAPI routes over the torch-free `model` package. Start: `pixelgan serve`."""
