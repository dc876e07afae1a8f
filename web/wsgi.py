"""The WSGI entry point for servers such as gunicorn (`web.wsgi:app`)."""

from web.app import create_app

app = create_app()
