"""Identifiers shared by the view builders that render them and the listeners that route
them: slash commands, action ids, callback ids. Renaming one renames both sides."""

MOT_COMMAND = "/mot"
