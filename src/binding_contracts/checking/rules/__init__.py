"""The semantic rules by family: an item's, a page's, a response's against its request. Internal."""
