/*
 * Exit codes for every command.  Apart from cmd.h, so that the modules
 * the commands use (the plan, the checks, the upgrade) can return them
 * without depending on the command table.
 */
#ifndef WB_EXITCODE_H
#define WB_EXITCODE_H

#define EXIT_OK		0	/* success */
#define EXIT_FAIL	1	/* a check or an operation failed */
#define EXIT_USAGE	2	/* bad usage or invalid input */

#endif
