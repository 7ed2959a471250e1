"""The tutorial's data set's shape: bank_clean.csv's columns and rows, and nothing else.

A leaf (it imports nothing), so that what reads the data (dataset.py) and what makes
a stand-in for it (synthetic.py) both take the schema from here without importing
each other: dataset.py reports what a download brought, and the download tells
synthetic data from real by the synthetic file's sha1.
"""

from __future__ import annotations

# The 61 columns of bank_clean.csv, in the file's order (the index column comes first,
# unnamed). Shared by every step that reads or writes the data.
BANK_COLUMNS: tuple[str, ...] = (
    "age",
    "campaign",
    "pdays",
    "previous",
    "no_previous_contact",
    "not_working",
    "job_admin.",
    "job_blue-collar",
    "job_entrepreneur",
    "job_housemaid",
    "job_management",
    "job_retired",
    "job_self-employed",
    "job_services",
    "job_student",
    "job_technician",
    "job_unemployed",
    "job_unknown",
    "marital_divorced",
    "marital_married",
    "marital_single",
    "marital_unknown",
    "education_basic.4y",
    "education_basic.6y",
    "education_basic.9y",
    "education_high.school",
    "education_illiterate",
    "education_professional.course",
    "education_university.degree",
    "education_unknown",
    "default_no",
    "default_unknown",
    "default_yes",
    "housing_no",
    "housing_unknown",
    "housing_yes",
    "loan_no",
    "loan_unknown",
    "loan_yes",
    "contact_cellular",
    "contact_telephone",
    "month_apr",
    "month_aug",
    "month_dec",
    "month_jul",
    "month_jun",
    "month_mar",
    "month_may",
    "month_nov",
    "month_oct",
    "month_sep",
    "day_of_week_fri",
    "day_of_week_mon",
    "day_of_week_thu",
    "day_of_week_tue",
    "day_of_week_wed",
    "poutcome_failure",
    "poutcome_nonexistent",
    "poutcome_success",
    "y_no",
    "y_yes",
)

# The tutorial's file: 41,188 rows (one per call of the UCI campaign) x 61 columns.
BANK_ROWS = 41_188
