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
    "help.command.share": (
        "`/mot`: share a moment of truth. On any message, *More actions > Share as moment of "
        "truth* turns it into a story."
    ),
    "help.command.tag": (
        "On a story card, *Positive moment of truth* (or a :{emoji}: reaction) recognises it; "
        "leaders can *Back this decision*."
    ),
    # The story modal
    "stories.modal.title": "Share a moment of truth",
    "stories.modal.title_edit": "Edit your story",
    "stories.modal.submit": "Share",
    "stories.modal.submit_edit": "Save",
    "stories.modal.cancel": "Cancel",
    "stories.modal.intro": (
        "A moment of truth is one contact between a customer and one of us. Tell it in a few "
        "lines: what they needed, what you did, how it ended."
    ),
    "stories.modal.people": "Who handled it",
    "stories.modal.touchpoint": "Where it happened",
    "stories.modal.touchpoint_placeholder": "Choose a touchpoint",
    "stories.modal.need": "What did the customer need?",
    "stories.modal.need_hint": "In their words, if you can",
    "stories.modal.action": "What did you do?",
    "stories.modal.action_hint": "The decisions you made, and why",
    "stories.modal.outcome": "What was the outcome for the customer?",
    "stories.modal.outcome_hint": "How the customer left the moment",
    "stories.modal.spot": "Empowerment",
    "stories.modal.spot_option": "We decided on the spot",
    "stories.modal.spot_description": "Beyond the usual rule, or without asking for approval",
    "stories.modal.abc": "What made the difference (A-B-C)",
    "stories.modal.abc_hint": "Appearance, Behaviour and Communication make a first impression.",
    "stories.modal.values": "Company values it shows",
    "stories.modal.values_placeholder": "Choose values",
    "stories.modal.channel": "Post it in",
    "stories.touchpoint.in_person": "In person",
    "stories.touchpoint.phone": "Phone",
    "stories.touchpoint.chat": "Chat",
    "stories.touchpoint.email": "Email",
    "stories.touchpoint.on_site": "On site",
    "stories.touchpoint.other": "Other",
    "stories.abc.appearance": "Appearance",
    "stories.abc.behaviour": "Behaviour",
    "stories.abc.communication": "Communication",
    # The story card
    "stories.card.title": "A moment of truth · {touchpoint}",
    "stories.card.title_mrkdwn": "Moment of truth",
    "stories.card.need": "The customer needed",
    "stories.card.action": "What we did",
    "stories.card.outcome": "The outcome",
    "stories.card.people": "With {people}",
    "stories.card.decided_on_spot": ":zap: Decided on the spot",
    "stories.card.abc": "Made the difference: {abc}",
    "stories.card.tags": {
        "one": ":star: {count} positive moment of truth",
        "other": ":star: {count} positive moments of truth",
    },
    "stories.card.backed_by": ":handshake: Backed by {leaders}",
    "stories.card.awaiting_backing": "Awaiting a leader's backing",
    "stories.card.tag_button": "Positive moment of truth",
    "stories.card.back_button": "Back this decision",
    "stories.card.deleted": "This story was deleted by its author.",
    "stories.notice.text": "{author} shared a moment of truth you were part of. {link}",
    "stories.notice.link": "See the card",
    "stories.shared": "Thank you! Your story is on its way to <#{channel}>.",
    # Answers to tagging and backing
    "stories.tag.own": "Tagging a story you are part of doesn't count, but thank you for sharing it!",
    "stories.tag.already": "You have already tagged this story as a positive moment of truth.",
    "stories.back.own": "You can't back a decision you were part of; another leader can.",
    "stories.back.already": "You have already backed this decision.",
    # Story errors
    "stories.errors.required": "Please fill this in.",
    "stories.errors.too_long": "This is too long; please shorten it.",
    "stories.errors.touchpoint": "Choose where the contact happened.",
    "stories.errors.too_many_people": "Name at most 10 people.",
    "stories.errors.unknown_value": "One of these values no longer exists; please choose again.",
    "stories.errors.no_channel": (
        "Choose a channel to post the story in (no stories channel is set up yet)."
    ),
    "stories.errors.not_author": "Only the author can change or delete this story.",
    "stories.errors.deleted": "This story has been deleted.",
    "stories.errors.not_found": "I can't find that story any more.",
    "stories.errors.leaders_only": (
        "Only leaders can back a decision. You can tag the story as a positive moment of "
        "truth instead."
    ),
    "stories.errors.cannot_post": (
        "Your story is saved, but I can't post in <#{channel}>. Invite me there with "
        "`/invite @motbot`, then edit the story from my Home tab to post it."
    ),
    # App Home
    "home.share_button": "Share a moment of truth",
    "home.stories_heading": "*Your recent moments of truth*",
    "home.no_stories": "You haven't shared a moment of truth yet. Your first one takes two minutes.",
    "home.story_line": "*{touchpoint}* · {date}\n{summary}",
    "home.edit_button": "Edit",
    "home.delete_button": "Delete",
    "home.delete_confirm_title": "Delete this story?",
    "home.delete_confirm_text": (
        "The card disappears from the channel and its tags are removed. This cannot be undone."
    ),
    "home.delete_confirm_yes": "Delete",
    "home.delete_confirm_no": "Keep it",
    "stories.errors.invalid": "Please check the highlighted fields.",
    "stories.untag.not_tagged": "You haven't tagged this story.",
    "stories.untag.other_source": "Your tag was given with the button, so removing the reaction keeps it.",
    "help.command.kudos": (
        "`/kudos @someone what they did #value`: recognise colleagues, with a reason and a "
        "company value. Everyone has a weekly kudos budget."
    ),
    "help.command.top": "`/mot top [week|month|quarter|all]`: the leaderboards.",
    "help.command.optout": (
        "`/mot optout` / `/mot optin`: leave or rejoin the leaderboards (your recognition "
        "still counts for your team)."
    ),
    "stories.card.kudos_button": "Give kudos",
    # Kudos
    "kudos.sent": "Kudos sent to {people}. :tada:",
    "kudos.budget": "You have {left} of {total} kudos left this week (renews {resets}).",
    "kudos.unknown_values": "{tags} isn't one of our values, so it stays part of your message. Our values: {values}",
    "kudos.notice": ":tada: {giver} gave you kudos:",
    "kudos.from_leader": ":star2: from a leader",
    "kudos.see_story": "See the story",
    "kudos.modal.title": "Give kudos",
    "kudos.modal.submit": "Send",
    "kudos.modal.people": "Who",
    "kudos.modal.reason": "What did they do?",
    "kudos.modal.reason_hint": "A reason is what makes recognition mean something.",
    "kudos.errors.groups": (
        "Kudos go to people, not to groups ({groups}). Name the people you want to thank, "
        "for example `/kudos @maria @li.wei for staying late with the stranded passengers`."
    ),
    # Leaderboards
    "leaderboard.title": "Leaderboard · {period}",
    "leaderboard.period.week": "this week",
    "leaderboard.period.month": "this month",
    "leaderboard.period.quarter": "this quarter",
    "leaderboard.period.all": "all time",
    "leaderboard.recognised": "Most recognised",
    "leaderboard.storytellers": "Top storytellers",
    "leaderboard.givers": "Most appreciative",
    "leaderboard.teams": "Teams",
    "leaderboard.points": {
        "one": "{count} point (givers: {givers})",
        "other": "{count} points (givers: {givers})",
    },
    "leaderboard.stories": {
        "one": "{count} story (tags: {tags})",
        "other": "{count} stories (tags: {tags})",
    },
    "leaderboard.given": "{count} kudos (people: {people})",
    "leaderboard.team_points": {
        "one": "{count} point (people: {people})",
        "other": "{count} points (people: {people})",
    },
    "leaderboard.empty": "Nobody yet. Be the first!",
    "leaderboard.you": "You are #{rank}: {count} points (givers: {givers}).",
    "leaderboard.you_unranked": "You have {count} points and no place on this board (no points yet, or you opted out).",
    "leaderboard.footer": (
        "Recognition counts the points people received; ties go to whoever was recognised "
        "by more different colleagues. `/mot optout` keeps you off the leaderboards."
    ),
    "leaderboard.optout_done": (
        "Done: you are no longer shown by name on leaderboards. Your recognition still "
        "counts for your team. `/mot optin` brings you back."
    ),
    "leaderboard.optin_done": "Welcome back: you are shown on the leaderboards again.",
    "leaderboard.errors.period": (
        "I don't know the period `{given}`. Try `/mot top week`, `month`, `quarter` or `all`."
    ),
    "home.recognition_heading": "*Your recognition*",
    "home.recognition_week": "This week: points received *{received}* · kudos given *{given}*",
    "home.recognition_total": "All time: points received *{received}* · kudos given *{given}*",
    "kudos.errors.no_recipient": "Who would you like to thank? Mention someone, for example `/kudos @name what they did`.",
    "kudos.errors.no_reason": "Please say why: kudos need a reason. A reason is what makes recognition mean something.",
    "kudos.errors.reason_too_long": "Please keep the reason under {limit} characters.",
    "kudos.errors.self": "Kudos are for others: you can't give them to yourself.",
    "kudos.errors.bot": "<@{user}> is a bot or a deactivated account and can't receive kudos.",
    "kudos.errors.unknown_value": "#{value} is not one of our company values.",
    "kudos.errors.pair_limit": "You've already given <@{user}> {limit} kudos this week; thank someone else, or try again next week.",
    "kudos.errors.budget": "You have {left} kudos left this week but need {needed}. Your kudos renew on {resets}.",
    "kudos.errors.admins_only": "Only motbot admins can revoke kudos.",
    "kudos.errors.already_revoked": "These kudos have already been revoked.",
    "kudos.errors.not_found": "I can't find those kudos.",
    "help.command.review": "`/mot kudos @someone` (admins): the kudos they received, with a way to revoke abuse.",
    "review.title": "Kudos received by {user}",
    "review.empty": "Nothing received yet.",
    "review.tag": "(a story tag)",
    "review.line": "#{id} · from {giver} · {points} pt · {date}\n{reason}",
    "review.revoked": "(revoked)",
    "review.revoke_button": "Revoke",
    "review.usage": "Name the person whose kudos you want to review, for example `/mot kudos @alice`.",
    "review.modal.title": "Revoke kudos",
    "review.modal.submit": "Revoke",
    "review.modal.intro": "The kudos stay on record, marked as revoked with your name and reason; their points no longer count.",
    "review.modal.reason": "Why are you revoking them?",
    "review.revoked_done": "Kudos #{id} revoked. The reason is on record.",
    "help.command.pulse": "`/mot pulse`: answer this week's anonymous pulse now; `/mot privacy`: exactly what is stored about you; `/mot pulse results` (HR): the last round's results.",
    # The weekly pulse
    "pulse.dm.title": "Weekly pulse",
    "pulse.dm.intro": "This week's {count} short questions on how free and trusted you feel at work. Open until {closes}.",
    "pulse.dm.privacy": ":lock: Anonymous by design: answers are stored without your name, your invitation or the time, and results are shown only for groups of at least {k} people. `/mot privacy` tells you exactly what is stored.",
    "pulse.scale.1": "Strongly disagree",
    "pulse.scale.2": "Disagree",
    "pulse.scale.3": "Neutral",
    "pulse.scale.4": "Agree",
    "pulse.scale.5": "Strongly agree",
    "pulse.dm.progress": "{done} of {total} answered. You can change an answer until the pulse closes.",
    "pulse.dm.thanks": ":pray: Thank you, that's all of them! You can still change an answer until the pulse closes.",
    "pulse.dm.comment_button": "Add an anonymous comment",
    "pulse.dm.skip_button": "Skip this week",
    "pulse.dm.skipped": "You skipped this week's pulse. See you next week!",
    "pulse.comment.title": "Anonymous comment",
    "pulse.comment.submit": "Send",
    "pulse.comment.intro": "Comments are stored without your name and shown to HR only for groups of at least twice the anonymity threshold, shuffled and undated.",
    "pulse.comment.label": "Anything you would like HR and leaders to hear?",
    "pulse.comment.thanks": "Thank you: your comment is stored anonymously.",
    "pulse.reminder": "A friendly reminder: this week's pulse closes soon. Your answers are anonymous (results only for groups of at least {k}). You'll find it a little higher in this conversation.",
    "pulse.none_open": "No pulse is open right now. The next one will arrive in your DMs.",
    "pulse.in_your_dm": "This week's pulse is waiting in your DM with me: {link}",
    "pulse.already_done": "You've answered this week's pulse, thank you! You can still change an answer here: {link}",
    "pulse.already_skipped": "You skipped this week's pulse. See you next week!",
    "pulse.sending": "Sending you this week's pulse in a DM now.",
    "pulse.results_refused": "Pulse results are for HR and admins. Everyone sees the overall results when HR shares them.",
    "pulse.no_results": "No pulse round has closed yet, so there are no results to show.",
    "pulse.privacy": (
        "*What motbot stores about you for the pulse*\n"
        "• That you were invited this week, and whether you finished, skipped or were reminded. Not what you answered.\n"
        "• Your answers are stored apart from you: the round, the question, the value and your team at the time. No name, no invitation, no time of day. A key made from a secret that exists only in your DM lets you change an answer; the database alone cannot tell whose it is.\n"
        "• Results are shown only for groups where at least {k} people answered, and never for two groups whose difference would reveal fewer than {k} people. Comments need twice as many, and are shown shuffled and without dates.\n"
        "• Who sees what: HR and admins see the group results once a round has closed; nobody, HR included, sees an individual answer."
    ),
    "pulse.errors.not_configured": "The pulse is not set up yet: your motbot admin needs to set MOTBOT_SECRET_KEY.",
    "pulse.results.title": "Culture pulse · {period}",
    "pulse.results.response": "{responded} of {invited} people answered ({rate}%). Groups are shown only with at least {k} respondents.",
    "pulse.results.too_few": "Fewer than {k} people answered, so no results can be shown for this round.",
    "pulse.results.suppressed": {"one": "{count} team had fewer than {k} respondents (or would be revealed by a difference) and is not shown on its own.", "other": "{count} teams had fewer than {k} respondents (or would be revealed by a difference) and are not shown on their own."},
    "pulse.results.comments": "Comments (shuffled, undated)",
    "pulse.results.trend": "Trend:",
    "pulse.results.respondents": {"one": "{count} respondent", "other": "{count} respondents"},
    "pulse.results.favourable": "• Favourable answers: {pct}%",
    "pulse.results.workspace": "Whole workspace",
    "pulse.results.other_teams": "Other teams",
    "pulse.dimension.meaning": "Meaning",
    "pulse.dimension.competence": "Competence",
    "pulse.dimension.self_determination": "Self-determination",
    "pulse.dimension.impact": "Impact",
    "pulse.dimension.trust": "Trust",
    "pulse.dimension.action": "Action on results",
    "pulse.errors.closed": "This pulse round is closed; answers can no longer be given or changed.",
    "pulse.errors.unknown_question": "That question is not part of this week's pulse.",
    "pulse.errors.bad_value": "That answer is not on this question's scale.",
    "pulse.errors.not_invited": "You were not invited to this pulse round.",
    "pulse.errors.skipped": "You skipped this week's pulse, so it takes no more answers from you.",
    "pulse.errors.comment_too_long": "Your comment is too long: at most {max} characters.",
    "pulse.errors.unknown_round": "That pulse round does not exist.",
    "pulse.errors.still_open": "Results are shown only after the round closes.",
    "pulse.results.question": "{text} · mean {mean} · {pct}% favourable · answers {distribution}",
    "help.command.admin_pulse": "`/mot admin pulse` (admins): the coming weeks' pulse questions; switch questions on or off, add your own.",
    "pulse.admin.title": "Pulse plan",
    "pulse.admin.intro": "Each week asks one empowerment dimension (three items, so the scale stays intact) and one trust item; the last week of a quarter asks eNPS. Questions you switch off leave the rotation; your own questions fill the places up to five a week. Rounds already open keep their questions.",
    "pulse.admin.on": "asked",
    "pulse.admin.off": "switched off",
    "pulse.admin.custom": "· your own question",
    "pulse.admin.turn_off": "Switch off",
    "pulse.admin.turn_on": "Switch on",
    "pulse.admin.add_button": "Add a question",
    "pulse.admin.modal_title": "Add a pulse question",
    "pulse.admin.modal_submit": "Add",
    "pulse.admin.text_en": "The question in English",
    "pulse.admin.text_zh": "The question in Simplified Chinese",
    "pulse.admin.scale": "Answer scale",
    "pulse.admin.scale_agree5": "Strongly disagree … strongly agree (1-5)",
    "pulse.admin.scale_nps11": "0 … 10",
    "pulse.admin.added": "Question added. It joins the plan from the next round; `/mot admin pulse` shows where.",
    "pulse.admin.usage": "Try `/mot admin pulse`: the pulse plan and its questions. More admin settings are coming.",
    "pulse.errors.admins_only": "Only motbot admins can change the pulse.",
    "pulse.errors.both_languages": "Please give the question in both English and Simplified Chinese, so everyone can answer it in their language.",
    "pulse.errors.question_too_long": "Please keep the question under {max} characters.",
    "pulse.errors.bad_scale": "Choose an answer scale.",
}
