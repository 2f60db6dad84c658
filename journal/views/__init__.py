from .home import client_home

__all__ = ["client_home"]
