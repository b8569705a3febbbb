"""English messages. Keys are grouped by the feature that shows them."""

MESSAGES: dict[str, str | dict[str, str]] = {
    # /mot help
    "help.title": "motbot: moments of truth",
    "help.intro": (
        "Every contact between a customer and one of us is a *moment of truth*: in those "
        "few seconds the customer decides what they think of the whole company. motbot "
        "helps us share those moments, recognise the people in them, and back the people "
        "who decide on the spot for a customer."
    ),
    "help.commands_heading": "*What you can do*",
    "help.command.help": "`/mot help`: this guide.",
    "help.footer": "motbot answers in the language you chose in Slack: English or 简体中文.",
    # Errors any command can show
    "errors.unknown_subcommand": (
        "I don't know `/mot {word}`. Type `/mot help` to see what I can do."
    ),
    "errors.internal": (
        "Sorry, something went wrong on our side and nothing was changed. Please try again "
        "in a minute; if it keeps happening, tell your motbot admin (reference {reference})."
    ),
}
