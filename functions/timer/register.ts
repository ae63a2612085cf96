import * as df from 'durable-functions';
import { loadOnFirstCall } from '../../lib/load-on-first-call';

/** The handler's module (the app's services and settings) loads when the timer first fires. */
df.app.client.timer('reverifyAllTimer', { schedule: '%PPO_REVERIFY_SCHEDULE%', handler: loadOnFirstCall(async () => (await import('./reverify-all-timer.js')).startReverifyAll) });
