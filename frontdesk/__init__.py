"""邻里前台 (frontdesk): the front desk of a 党建+ 邻里中心."""

__version__ = "0.1.0"
