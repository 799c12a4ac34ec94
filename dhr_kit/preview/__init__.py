"""`dhr preview`: the HTML served on 127.0.0.1, rebuilt when a chapter, a data file or `_quarto.yml` is
saved, and reloaded in the browser. The reload script and the QA panels are added by the server as it
serves each page: nothing of the preview is ever written into the output folder."""
from .server import PreviewServer, serve

__all__ = ["PreviewServer", "serve"]
