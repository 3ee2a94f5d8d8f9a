"""pixelgan: pixel-art faces from a small GAN. The command line is `pixelgan.cli`."""
