# install: plan, journal, runner, verify; the install and verify commands.
