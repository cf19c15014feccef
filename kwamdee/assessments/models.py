"""The moral-organization assessment (issue 13): templates as data, self-assessments, independent
scoring, results and certificates. Above organizations, deeds and activities in the layers: its
computed items read their figures through their selectors."""
