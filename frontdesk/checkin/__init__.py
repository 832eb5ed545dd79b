"""签到: visitor check-in, tallies, group visits and the daily attendance sheet (Qt-free)."""
