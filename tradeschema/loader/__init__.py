"""The article loader: news text in, a validated :class:`~tradeschema.models.Dataset` out."""
