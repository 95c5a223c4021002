"""The impact app has no API of its own: its open data is served by `public` (figures per
value-chain stage need the partner profiles, which only `public` may read)."""

urlpatterns: list = []
