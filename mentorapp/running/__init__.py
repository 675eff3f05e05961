"""The months between the letters and the evaluation: meetings, check-ins, pairs at risk, dashboard, chase drafts.

Changes to matches themselves (start, end early, complete, rematch) stay in
:mod:`mentorapp.matching.actions`; this wing reads them and adds what happens
around them. Public entry points, by module:

- :mod:`~mentorapp.running.settings`: ``load_running_settings``, ``save_running_settings``
  (check-in days, thresholds of the at-risk rules, sender name, address and signature).
- :mod:`~mentorapp.running.meetings`: ``add_meeting``, ``delete_meeting``, ``list_meetings``,
  ``pair_meeting_summary``, ``logged_meeting_counts`` (undoable: each returns a MatchChange).
- :mod:`~mentorapp.running.checkins`: ``checkin_schedule``, ``set_checkin_days``, ``save_checkin_answer``,
  ``list_checkin_answers``; forms in :mod:`~mentorapp.running.checkin_forms`.
- :mod:`~mentorapp.running.flags`: ``pairs_at_risk`` (and the pure ``flags_for``).
- :mod:`~mentorapp.running.dashboard`: ``dashboard``, ``people_behind``.
- :mod:`~mentorapp.running.chase`: ``chase_list``, ``write_drafts``, ``mailto_url``, ``all_addresses``,
  ``mark_chased``; templates in :mod:`~mentorapp.running.chase_templates`.
"""
