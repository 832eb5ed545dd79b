"""长者食堂: the elder canteen (Qt-free)."""
