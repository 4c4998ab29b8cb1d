"""Launch history: every past launch, its estimated landing point and track, filters,
counts per year, "compared with before", and the facts of one launch.

Pure Python (no Qt, no folium). This module is the one name the rest of SitMap imports; each idea
lives in its own module:

- :mod:`viewer.model.history_launches`: sites, systems, launches, the history and reading it;
- :mod:`viewer.model.history_filter`: the filter, the command line's window and years, counts;
- :mod:`viewer.model.history_facts`: the facts of one launch;
- :mod:`viewer.model.history_compare`: "compared with before" for an event of the history;
- :mod:`viewer.model.history_match`: the map's own launch as the history sees it;
- :mod:`viewer.model.history_page`: the compact list the page draws;
- :mod:`viewer.model.map_times`: the times of any map's features and facts.

Statuses follow the project's rule: the data set's figures are *reported*; a landing point or
track computed from site + bearing + distance is *estimated*; a comparison computed from the
data is *derived*.
"""

from __future__ import annotations

from viewer.model.history_compare import (COMPARISON_HOW, Comparison, compared_with_before, comparison_facts,
                                          count_text, event_of, years_text)
from viewer.model.history_facts import LaunchFact, launch_facts
from viewer.model.history_filter import (HistoryFilter, counts_per_year, in_band, parse_window, parse_years,
                                         window_text)
from viewer.model.history_launches import (CLASS_COLOURS, CLASSES, DISTANCE_BANDS, KST, MAX_LAUNCHES, OUTCOMES,
                                           HistoryError, Launch, LaunchHistory, Site, System, history_from_dict,
                                           load_default, synthetic_history)
from viewer.model.history_match import ScenarioLaunch, match_event, nearest_site, scenario_launch
from viewer.model.history_page import page_data
from viewer.model.map_times import feature_times, parse_time, timed_facts

__all__ = [
    "CLASSES", "CLASS_COLOURS", "COMPARISON_HOW", "DISTANCE_BANDS", "KST", "MAX_LAUNCHES", "OUTCOMES",
    "Comparison", "HistoryError", "HistoryFilter", "Launch", "LaunchFact", "LaunchHistory", "ScenarioLaunch",
    "Site", "System", "compared_with_before", "comparison_facts", "count_text", "counts_per_year", "event_of",
    "feature_times", "history_from_dict", "in_band", "launch_facts", "load_default", "match_event",
    "nearest_site", "page_data", "parse_time", "parse_window", "parse_years", "scenario_launch",
    "synthetic_history", "timed_facts", "window_text", "years_text",
]
