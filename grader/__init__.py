"""The kata's auto-grader: grade a submission or a class, publish the assignment. See grader/README.md."""
