"""The months between the letters and the evaluation: meetings, check-ins, pairs at risk, dashboard, chase drafts.

Changes to matches themselves stay in :mod:`mentorapp.matching.actions`: ``start_pairs(session,
cohort_id, on, match_ids=None)``, ``end_pair(session, match_id, reason=, ended_by=, on=, today=)``
(adds the do-not-rematch exclusion of the two people), ``complete_pairs(session, cohort_id)``; a new
mentor for one freed mentee is :func:`mentorapp.matching.rematch.suggest_for_mentee`, stored with
``accept_suggestions``. This wing reads matches and adds what happens around them. Every change here
returns a :class:`~mentorapp.matching.changes.MatchChange`, undone and redone with
``matching.actions.undo_change`` / ``redo_change`` like any change on the board.

Public entry points, by module:

- :mod:`~mentorapp.running.settings`: ``load_running_settings``, ``save_running_settings``
  (check-in days, thresholds of the at-risk rules, sender name, address and signature), ``sender``.
- :mod:`~mentorapp.running.meetings`: ``add_meeting``, ``delete_meeting`` (undoable), ``list_meetings``,
  ``mentee_pair``, ``pair_meetings`` (logged and reported, apart), ``reported_counts``,
  ``logged_meetings_figure`` (the report's figure), ``parse_mode``, ``MODE_LABELS``.
- :mod:`~mentorapp.running.checkins`: ``checkin_schedule``, ``set_checkin_days``, ``due_checkpoint``,
  ``next_checkpoint``, ``asked_at``, ``save_checkin_answer`` (undoable), ``list_checkin_answers``.
- :mod:`~mentorapp.running.checkin_forms`: ``choose_checkpoint``, ``export_checkin_forms``,
  ``read_checkin_folder`` (a dry run), ``import_checkin_folder``, ``form_bytes``.
- :mod:`~mentorapp.running.flags`: ``pairs_at_risk(session, cohort_id, today)`` (each pair's
  ``flags``: rule, since, text), ``RULES`` (labels), the pure rule ``flags_for``.
- :mod:`~mentorapp.running.dashboard`: ``dashboard(session, cohort_id, today)`` (every figure;
  ``to_json`` is ``dashboard --format json``), ``people_behind(session, cohort_id, figure, today)``
  for the click-through (``FIGURES``, ``PIPELINE_LABELS``).
- :mod:`~mentorapp.running.chase`: ``chase_list``, ``make_drafts`` (``Draft.subject``/``body`` for a
  preview, ``Draft.eml_bytes``), ``write_drafts``, ``mailto_url``, ``all_addresses``, ``mark_chased``
  (undoable), ``last_chased``; templates in :mod:`~mentorapp.running.chase_templates`
  (``load_chase_template``, ``save_chase_template``, ``PLACEHOLDERS``, ``TOPIC_LABELS``).
- :mod:`~mentorapp.running.people`: ``PersonRef``, ``people_refs``, ``mentee_match``.
"""
