raise SystemExit("a learner module shadowed a library")
