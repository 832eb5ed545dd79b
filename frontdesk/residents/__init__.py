"""居民档案: the residents registry (Qt-free)."""
