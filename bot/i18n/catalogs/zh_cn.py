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
}
