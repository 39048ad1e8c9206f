"""planingest: plan documents of ecological civilisation demonstration zones in, clean tables out."""

__version__ = "0.1.0"
