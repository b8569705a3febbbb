"""Identifiers shared by the view builders that render them and the listeners that route
them: slash commands, action ids, callback ids, block ids. Renaming one renames both."""

MOT_COMMAND = "/mot"
KUDOS_COMMAND = "/kudos"

# The "Share a moment of truth" modal, and the shortcut that opens it from a message.
STORY_MODAL = "story_modal"
SHARE_SHORTCUT = "share_as_moment_of_truth"

# Story card buttons; their value is the story id.
TAG_STORY = "story_tag"
GIVE_KUDOS = "story_kudos"
BACK_STORY = "story_back"

# The "Give kudos" modal opened from a story card, and its inputs.
KUDOS_MODAL = "kudos_modal"
KUDOS_PEOPLE = "recipients"
KUDOS_REASON = "reason"

# An admin's review of someone's kudos, and the revoke modal.
REVOKE_KUDOS = "kudos_revoke"
REVOKE_MODAL = "kudos_revoke_modal"
REVOKE_REASON = "reason"

# App Home buttons.
HOME_SHARE_STORY = "home_share_story"
EDIT_STORY = "story_edit"
DELETE_STORY = "story_delete"

# Input blocks of the story modal, named after the draft fields they fill.
STORY_PEOPLE = "people"
STORY_TOUCHPOINT = "touchpoint"
STORY_NEED = "customer_need"
STORY_ACTION = "action_taken"
STORY_OUTCOME = "outcome"
STORY_WENT_WRONG = "went_wrong"
STORY_SPOT = "decided_on_spot"
STORY_ABC = "abc"
STORY_RULE = "rule_bent"
STORY_POLICY_AREA = "policy_area"
STORY_CHANNEL = "channel"
INPUT = "input"  # the action_id of every input element in a modal
VALUES = "values"  # the company-values picker, in the story and the kudos modals

# Policy signals: a leader marks the policy behind an area's signals as revised (from
# `/mot policies` or the digest), in a modal asking what changed.
REVISE_POLICY = "policy_revise"
REVISE_POLICY_MODAL = "policy_revise_modal"
REVISE_POLICY_NOTE = "note"

# The weekly pulse DM: answer buttons (one action id per value, as Slack wants them
# unique within a block), the comment modal and skipping the week.
PULSE_ANSWER_PREFIX = "pulse_answer:"
PULSE_COMMENT = "pulse_comment"
PULSE_SKIP = "pulse_skip"
PULSE_COMMENT_MODAL = "pulse_comment_modal"
PULSE_COMMENT_TEXT = "comment"

# Admins shaping the pulse: switch questions on or off, add their own.
PULSE_ADMIN_TOGGLE = "pulse_admin_toggle"
PULSE_ADMIN_ADD = "pulse_admin_add"
PULSE_ADMIN_MODAL = "pulse_admin_question"
PULSE_ADMIN_TEXT_EN = "text_en"
PULSE_ADMIN_TEXT_ZH = "text_zh"
PULSE_ADMIN_SCALE = "scale"
