"""Repository scripts (not installed): the page's screenshot, and the browser both it and the tests launch."""
