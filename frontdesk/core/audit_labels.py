"""What the audit trail's action keys (``resident.id_shown``) and record kinds
(``volunteer_team``) are called on screen: one table, Chinese source texts through tr().

A key without a label (a feature added an action and forgot it) still reads as words: the
label of its first part (``canteen.`` → 长者食堂) with "其他操作", never the raw key alone.
"""

from __future__ import annotations

from frontdesk.core.i18n import N_, tr

ACTION_LABELS: dict[str, str] = {
    # accounts and the centre
    "centre.init": N_("首次使用设置"),
    "login": N_("登录"),
    "login.fail": N_("登录失败"),
    "login.lock": N_("账号因输错密码被锁定"),
    "operator.create": N_("新增操作员"),
    "operator.update": N_("修改操作员（姓名、角色或停用）"),
    "operator.password": N_("设置或重设密码"),
    "operator.unlock": N_("解除账号锁定"),
    "setting.change": N_("修改设置"),
    "backup.restore": N_("从备份恢复数据库"),
    "organisation.create": N_("新增共建单位"),
    "organisation.update": N_("修改共建单位"),
    "centre.setup.import": N_("导入中心设置"),
    "town.enter": N_("镇街管理员进入中心"),
    # residents
    "resident.create": N_("登记居民"),
    "resident.quick_register": N_("快速登记居民"),
    "resident.update": N_("修改居民档案"),
    "resident.status": N_("修改居民状态"),
    "resident.card": N_("发放或更换居民卡"),
    "resident.id_shown": N_("查看了完整证件号码"),
    "resident.import": N_("导入居民档案"),
    "resident.import_update": N_("导入时更新居民档案"),
    "resident.merge": N_("合并重复的居民档案"),
    "resident.merged_away": N_("居民档案被合并"),
    # check-in
    "checkin.create": N_("来访签到"),
    "checkin.checkout": N_("来访签离"),
    "checkin.void": N_("作废签到记录"),
    "checkin.group_visit": N_("团体来访登记"),
    "checkin.tally": N_("不记名计数"),
    "checkin.purpose.create": N_("新增来访事由"),
    "checkin.purpose.update": N_("修改来访事由"),
    "checkin.tally_group.create": N_("新增计数人群"),
    "checkin.tally_group.update": N_("修改计数人群"),
    "checkin.demo": N_("生成演示签到数据"),
    # canteen
    "canteen.session.create": N_("新增餐次"),
    "canteen.session.update": N_("修改餐次"),
    "canteen.day.set": N_("设置当天菜单或供餐"),
    "canteen.funder.create": N_("新增出资方"),
    "canteen.funder.update": N_("修改出资方"),
    "canteen.rule.create": N_("新增补助规则"),
    "canteen.rule.update": N_("修改补助规则"),
    "canteen.rule.retire": N_("停用补助规则"),
    "canteen.ticket.issue": N_("开餐票"),
    "canteen.ticket.print": N_("打印餐票"),
    "canteen.ticket.void": N_("作废餐票"),
    "canteen.preorder.add": N_("登记预订"),
    "canteen.preorder.cancel": N_("取消预订"),
    "canteen.delivery.mark": N_("登记送餐结果"),
    "canteen.delivery.follow_up": N_("送餐未遇的跟进"),
    "canteen.claim": N_("生成补助申报"),
    # rooms
    "room.create": N_("新增场地"),
    "room.update": N_("修改场地"),
    "room.open_day": N_("设置场地开放日"),
    "room.close_day": N_("设置场地闭馆日"),
    "booking.create": N_("新增预约"),
    "booking.update": N_("修改预约"),
    "booking.series_create": N_("新增重复预约"),
    "booking.series_update": N_("修改重复预约"),
    "booking.series_split": N_("从某天起修改重复预约"),
    "booking.approve": N_("批准预约"),
    "booking.reject": N_("拒绝预约"),
    "booking.check_in": N_("预约签到"),
    "booking.no_show": N_("预约未到，释放场地"),
    "booking.cancel": N_("取消预约"),
    # volunteers and the points shop
    "volunteer.team.create": N_("新增志愿服务队"),
    "volunteer.team.update": N_("修改志愿服务队"),
    "volunteer.category.create": N_("新增服务类别"),
    "volunteer.category.update": N_("修改服务类别"),
    "volunteer.activity.create": N_("新增服务项目"),
    "volunteer.activity.update": N_("修改或停用服务项目"),
    "volunteer.enroll": N_("登记志愿者"),
    "volunteer.update": N_("修改志愿者"),
    "volunteer.sign_in": N_("志愿服务签到"),
    "volunteer.sign_out": N_("志愿服务签退"),
    "volunteer.record.add": N_("手工补录服务时长"),
    "volunteer.record.void": N_("作废服务记录"),
    "volunteer.certificate": N_("开具志愿服务证明"),
    "points.adjust": N_("调整积分"),
    "points.reverse": N_("冲销积分"),
    "points.expire": N_("清理过期积分"),
    "shop.goods.add": N_("积分超市新增物品"),
    "shop.goods.price": N_("修改物品兑换积分"),
    "shop.goods.update": N_("修改或下架物品"),
    "shop.restock": N_("物品入库"),
    "shop.writeoff": N_("物品报损"),
    "shop.count": N_("库存盘点"),
    "shop.redeem": N_("积分兑换"),
    "shop.redeem.reverse": N_("冲销积分兑换"),
    # documents and the day
    "document.archive": N_("存档打印件"),
    "document.reprint": N_("补打"),
    "day.close": N_("日结"),
    "day.reopen": N_("撤销日结"),
    "day.export": N_("导出数据包"),
}

# The first part of a key: what a key without its own label falls back to.
GROUP_LABELS: dict[str, str] = {
    "centre": N_("中心信息"), "login": N_("登录"), "operator": N_("操作员"),
    "setting": N_("设置"), "backup": N_("备份"), "organisation": N_("共建单位"),
    "town": N_("镇街"), "resident": N_("居民档案"), "checkin": N_("来访签到"),
    "canteen": N_("长者食堂"), "room": N_("场地"), "booking": N_("场地预约"),
    "volunteer": N_("志愿者"), "points": N_("志愿积分"), "shop": N_("积分超市"),
    "document": N_("打印件"), "day": N_("日结"),
}

ENTITY_LABELS: dict[str, str] = {
    "operator": N_("操作员"), "setting": N_("设置"), "centre": N_("中心"),
    "database": N_("数据库"), "organisation": N_("共建单位"), "resident": N_("居民"),
    "checkin": N_("签到记录"), "checkin_purpose": N_("来访事由"), "group_visit": N_("团体来访"),
    "tally_group": N_("计数人群"), "tally_entry": N_("不记名计数"),
    "canteen_session": N_("餐次"), "canteen_day": N_("当天菜单"), "canteen_funder": N_("出资方"),
    "canteen_rule": N_("补助规则"), "canteen_ticket": N_("餐票"),
    "canteen_pre_order": N_("预订"), "canteen_claim": N_("补助申报"),
    "room": N_("场地"), "booking": N_("预约"), "booking_series": N_("重复预约"),
    "closed_day": N_("营业日"),
    "volunteer": N_("志愿者"), "volunteer_team": N_("志愿服务队"),
    "volunteer_category": N_("服务类别"), "volunteer_activity": N_("服务项目"),
    "volunteer_service": N_("服务记录"), "points_entry": N_("积分流水"),
    "shop_goods": N_("积分超市物品"), "redemption": N_("积分兑换"), "document": N_("打印件"),
}


def action_label(key: str) -> str:
    """What ``key`` is called on screen, in the user's language."""
    label = ACTION_LABELS.get(key)
    if label is not None:
        return tr(label)
    group = GROUP_LABELS.get(key.split(".", 1)[0])
    if group is not None:
        return tr("{group}：其他操作", group=tr(group))
    return tr("其他操作")


def entity_label(entity: str) -> str:
    """What a kind of record (an audit row's ``entity``) is called on screen."""
    label = ENTITY_LABELS.get(entity)
    if label is not None:
        return tr(label)
    group = GROUP_LABELS.get(entity.split("_", 1)[0])
    return tr(group) if group is not None else tr("其他记录")
