"""Financial assistance (seed 004): eligibility rules as data, evaluated rule by rule."""
