"""志愿服务积分 and 积分超市: volunteers, service hours, the points ledger, the shop (Qt-free)."""
