"""场地预约: rooms, bookers, bookings and repeat series (Qt-free)."""
