"""Jupyter server configuration of ``site/live.py`` (``make live``): the token is the only login.

Loaded by the Jupyter server that live.py starts (``--config``), never by the book itself. The
page's live code (Thebe) sends the token with every request (``Authorization: token ...``), so
the server needs no login cookie, and a login cookie would be a password of its own: cookies
are per host, not per port, so every other web server on 127.0.0.1 would receive it, and
replayed alone it would run code as the reader. Here:

- ``TokenOnlyIdentityProvider`` neither sets nor reads a login cookie and has no login form:
  a request without the token is refused (403), whatever cookies it carries;
- the cookie secret (which also signs Jupyter's other cookies) is fresh for every run and never
  written to disk, so nothing one run signed is accepted by the next;
- only the core server runs (kernels, kernel specs, sessions: all that Thebe asks for): the
  installed server extensions (JupyterLab's pages, terminals, the language server, the notebook
  shim) stay off, so no shell is served and the server starts faster.
"""

import os

from jupyter_server.auth.identity import IdentityProvider


class TokenOnlyIdentityProvider(IdentityProvider):
    """Authenticates a request by its token alone: no login cookie, no login form."""

    def get_user_cookie(self, handler):
        return None

    def set_login_cookie(self, handler, user):
        return None

    def process_login_form(self, handler):
        return None

    def get_handlers(self):
        return []


c = get_config()  # noqa: F821 - provided by traitlets when it loads this file
c.ServerApp.identity_provider_class = TokenOnlyIdentityProvider
c.ServerApp.cookie_secret = os.urandom(32)
c.ServerApp.jpserver_extensions = dict.fromkeys(
    ("jupyterlab", "jupyter_lsp", "jupyter_server_terminals", "notebook_shim"), False
)
