/*
 * Long work without freezing the screen: the work runs in its own thread
 * and only records what it did under the task's mutex; this thread polls
 * the keys and redraws the view ten times a second until the work is
 * done.  Esc and Ctrl-C set the cancel flag, which the work checks (the
 * preflight and the bundle reader take it as their cancel pointer).
 */
#include "config.h"

#include "curses.h"
#include "log.h"
#include "ui.h"

void
ui_task_init(struct ui_task *t, void (*work)(struct ui_task *), void *arg)
{
	t->work = work;
	t->arg = arg;
	pthread_mutex_init(&t->lock, NULL);
	t->cancel = 0;
	t->tick = 0;
	t->finished = 0;
}

void
ui_task_free(struct ui_task *t)
{
	pthread_mutex_destroy(&t->lock);
}

static void *
task_main(void *arg)
{
	struct ui_task *t = arg;

	t->work(t);
	pthread_mutex_lock(&t->lock);
	t->finished = 1;
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

static int
task_finished(struct ui_task *t)
{
	int done;

	pthread_mutex_lock(&t->lock);
	done = t->finished;
	pthread_mutex_unlock(&t->lock);
	return done;
}

int
ui_task_run(struct ui_task *t, struct view *v, const char *what)
{
	pthread_t th;
	struct ui_key k;

	if (pthread_create(&th, NULL, task_main, t) != 0)
		return -1;
	while (!task_finished(t)) {
		ui_draw_view(v);
		curs_set(0);
		refresh();
		timeout(100);
		k = ui_getkey();
		timeout(-1);
		t->tick++;
		if (k.fkey || t->cancel)
			continue;
		if (k.ch == UI_ESC || k.ch == UI_CTRL('c')) {
			log_info("wizard: %s cancelled", what);
			t->cancel = 1;
		}
	}
	pthread_join(th, NULL);
	return t->cancel;
}

char
ui_spin(unsigned tick)
{
	static const char spin[] = "|/-\\";

	return spin[tick % 4];
}
