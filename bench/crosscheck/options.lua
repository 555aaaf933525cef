-- wrk script of the cross-check's preflights: OPTIONS (its headers come from -H).
wrk.method = "OPTIONS"
