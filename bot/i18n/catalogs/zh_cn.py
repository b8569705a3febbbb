"""简体中文消息。键与英文目录一一对应。"""

MESSAGES: dict[str, str | dict[str, str]] = {
    # /mot help
    "help.title": "motbot：关键时刻",
    "help.intro": (
        "顾客与我们每一次接触都是一个*关键时刻*：在这短短几秒里，顾客决定了他们如何看待整个公司。"
        "motbot 帮助我们分享这些时刻，表彰其中的人，并支持那些为顾客现场决策的同事。"
    ),
    "help.commands_heading": "*你可以做什么*",
    "help.command.help": "`/mot help`：本指南。",
    "help.footer": "motbot 使用你在 Slack 中选择的语言回复：English 或简体中文。",
    # 任何命令都可能显示的错误
    "errors.unknown_subcommand": "我不认识 `/mot {word}`。输入 `/mot help` 查看我能做什么。",
    "errors.internal": (
        "抱歉，我们这边出了问题，没有做任何更改。请一分钟后再试；"
        "如果问题持续出现，请告诉你的 motbot 管理员（参考编号 {reference}）。"
    ),
    "help.command.share": (
        "`/mot`：分享关键时刻。在任意消息上选择*更多操作 > 作为关键时刻分享*，即可把它变成一个故事。"
    ),
    "help.command.tag": "在故事卡片上点击*正面的关键时刻*（或添加 :{emoji}: 表情）来表彰它；领导可以点击*支持这个决定*。",
    # 故事对话框
    "stories.modal.title": "分享关键时刻",
    "stories.modal.title_edit": "编辑你的故事",
    "stories.modal.submit": "分享",
    "stories.modal.submit_edit": "保存",
    "stories.modal.cancel": "取消",
    "stories.modal.intro": "关键时刻是顾客与我们之间的一次接触。用几句话讲述它：顾客需要什么，你做了什么，结果如何。",
    "stories.modal.people": "谁处理了这次接触",
    "stories.modal.touchpoint": "接触点",
    "stories.modal.touchpoint_placeholder": "选择接触点",
    "stories.modal.need": "顾客需要什么？",
    "stories.modal.need_hint": "尽量用顾客自己的话",
    "stories.modal.action": "你做了什么？",
    "stories.modal.action_hint": "你做了哪些决定，为什么",
    "stories.modal.outcome": "对顾客来说结果如何？",
    "stories.modal.outcome_hint": "顾客带着怎样的感受离开",
    "stories.modal.spot": "授权",
    "stories.modal.spot_option": "我们现场决策",
    "stories.modal.spot_description": "超出常规，或未经请示就做了决定",
    "stories.modal.abc": "关键在于（A-B-C）",
    "stories.modal.abc_hint": "外表、行为和沟通塑造第一印象。",
    "stories.modal.values": "体现的公司价值观",
    "stories.modal.values_placeholder": "选择价值观",
    "stories.modal.channel": "发布到",
    "stories.touchpoint.in_person": "面对面",
    "stories.touchpoint.phone": "电话",
    "stories.touchpoint.chat": "在线聊天",
    "stories.touchpoint.email": "电子邮件",
    "stories.touchpoint.on_site": "现场",
    "stories.touchpoint.other": "其他",
    "stories.abc.appearance": "外表",
    "stories.abc.behaviour": "行为",
    "stories.abc.communication": "沟通",
    # 故事卡片
    "stories.card.title": "关键时刻 · {touchpoint}",
    "stories.card.title_mrkdwn": "关键时刻",
    "stories.card.need": "顾客的需要",
    "stories.card.action": "我们的做法",
    "stories.card.outcome": "结果",
    "stories.card.people": "参与者：{people}",
    "stories.card.decided_on_spot": ":zap: 现场决策",
    "stories.card.abc": "关键：{abc}",
    "stories.card.tags": {"other": ":star: {count} 个正面的关键时刻"},
    "stories.card.backed_by": ":handshake: {leaders} 支持这个决定",
    "stories.card.awaiting_backing": "等待领导支持",
    "stories.card.tag_button": "正面的关键时刻",
    "stories.card.back_button": "支持这个决定",
    "stories.card.deleted": "此故事已被作者删除。",
    "stories.notice.text": "{author} 分享了一个有你参与的关键时刻。{link}",
    "stories.notice.link": "查看卡片",
    "stories.shared": "谢谢！你的故事正在发布到 <#{channel}>。",
    # 标记与支持的回复
    "stories.tag.own": "标记你自己参与的故事不计入，但谢谢你的分享！",
    "stories.tag.already": "你已经把这个故事标记为正面的关键时刻了。",
    "stories.back.own": "你不能支持自己参与的决定；可以由其他领导来支持。",
    "stories.back.already": "你已经支持过这个决定了。",
    # 故事错误
    "stories.errors.required": "请填写此项。",
    "stories.errors.too_long": "内容太长，请精简一些。",
    "stories.errors.touchpoint": "请选择这次接触发生的地方。",
    "stories.errors.too_many_people": "最多填写 10 人。",
    "stories.errors.unknown_value": "其中某个价值观已不存在，请重新选择。",
    "stories.errors.no_channel": "请选择要发布故事的频道（尚未设置故事频道）。",
    "stories.errors.not_author": "只有作者可以修改或删除这个故事。",
    "stories.errors.deleted": "这个故事已被删除。",
    "stories.errors.not_found": "找不到这个故事了。",
    "stories.errors.leaders_only": "只有领导可以支持决定。你可以把这个故事标记为正面的关键时刻。",
    "stories.errors.cannot_post": (
        "你的故事已保存，但我无法在 <#{channel}> 发言。请用 `/invite @motbot` 邀请我，"
        "然后在我的主页中编辑这个故事以发布它。"
    ),
    # 应用主页
    "home.share_button": "分享关键时刻",
    "home.stories_heading": "*你最近的关键时刻*",
    "home.no_stories": "你还没有分享过关键时刻。第一次只需要两分钟。",
    "home.story_line": "*{touchpoint}* · {date}\n{summary}",
    "home.edit_button": "编辑",
    "home.delete_button": "删除",
    "home.delete_confirm_title": "删除这个故事？",
    "home.delete_confirm_text": "卡片会从频道中消失，它的标记也会被移除。此操作无法撤销。",
    "home.delete_confirm_yes": "删除",
    "home.delete_confirm_no": "保留",
    "stories.errors.invalid": "请检查标出的内容。",
    "stories.untag.not_tagged": "你还没有标记这个故事。",
    "stories.untag.other_source": "你的标记是通过按钮给出的，移除表情不会取消它。",
}
