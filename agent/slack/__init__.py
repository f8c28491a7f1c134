"""The Slack intake surface: an interview bot that runs in Slack threads over HTTP.

Public surface: ``agent.slack.settings.slack_settings_from_env`` and
``agent.slack.service`` (``build_slack_surface``, ``serve``). The rest (bolt wiring, the
threaded server, the worker pool, the store, Block Kit rendering) is private to this
package. Nothing is imported here, so reading the settings does not load slack_bolt.
Like every surface, it only calls the core; the core never imports it.
"""
