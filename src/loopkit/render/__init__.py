"""PDF rendering: fonts, styles and one builder per section. Imported only by commands that write PDFs."""
