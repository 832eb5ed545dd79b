"""Several desks and data safety: backup and restore commands, the multi-desk benchmark."""
