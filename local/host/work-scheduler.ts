import { isVirtualClock, type Clock } from '../clock';
import { TimerHeap, type HeapItem } from './durable/timer-heap';

export type Work = () => Promise<void>;

export interface TimedWork {
    readonly at: number;
    /** Durable timers drive a virtual clock forward; schedule occurrences of timer triggers do not. */
    readonly drivesClock: boolean;
    readonly fire: () => void;
}

export interface TimedHandle {
    cancel(): void;
}

interface Entry extends HeapItem {
    readonly work: TimedWork;
    canceled: boolean;
}

const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * Real time after which running work that waits neither on the clock nor makes progress (a request
 * queued for a connection that requests sleeping on the clock hold) is taken as blocked on them.
 */
const STALL_MS = 500;

/**
 * Runs the host's background work (orchestrator episodes, activities, timer triggers) with bounded
 * concurrency, and fires timed work on the host clock. With a virtual clock that auto-advances, once
 * nothing is runnable the clock jumps to the earliest pending timed item (if any durable timer is
 * pending), fires it, and so on in time order; otherwise timed items fire when the clock reaches them.
 */
export class WorkScheduler {
    private readonly queue: Work[] = [];
    private queueHead = 0;
    private running = 0;
    private readonly heap = new TimerHeap<Entry>();
    private clockDrivers = 0;
    private order = 0;
    private realTimer: NodeJS.Timeout | undefined;
    private stepPending = false;
    private progress = 0;
    private watchdog: NodeJS.Timeout | undefined;
    private stopped = false;
    private idleWaiters: (() => void)[] = [];
    private readonly unsubscribe: (() => void) | undefined;

    constructor(
        private readonly clock: Clock,
        private readonly concurrency: number,
        private readonly onError: (error: unknown) => void,
    ) {
        this.unsubscribe = isVirtualClock(clock)
            ? clock.onAdvance(() => {
                  this.fireDue();
                  this.kick();
              })
            : undefined;
    }

    /** False when the scheduler has stopped and the work will never run. */
    enqueue(work: Work): boolean {
        if (this.stopped) return false;
        this.queue.push(work);
        this.kick();
        return true;
    }

    schedule(work: TimedWork): TimedHandle {
        const entry: Entry = { at: work.at, order: this.order++, work, canceled: false };
        if (this.stopped) return { cancel: () => undefined };
        this.heap.push(entry);
        if (work.drivesClock) this.clockDrivers += 1;
        this.armRealTimer();
        this.kick();
        return {
            cancel: () => {
                if (entry.canceled) return;
                entry.canceled = true;
                if (work.drivesClock) this.clockDrivers -= 1;
            },
        };
    }

    /** Resolves once nothing is runnable: no queued or running work and, on an auto-advancing virtual clock, no durable timer. */
    whenIdle(): Promise<void> {
        if (this.stopped) return Promise.resolve();
        return new Promise((resolve) => {
            this.idleWaiters.push(resolve);
            this.kick();
        });
    }

    stop(): void {
        this.stopped = true;
        if (this.realTimer) clearTimeout(this.realTimer);
        if (this.watchdog) clearTimeout(this.watchdog);
        this.unsubscribe?.();
        this.queue.length = 0;
        this.queueHead = 0;
        this.heap.clear();
        this.resolveIdle();
    }

    private get queued(): number {
        return this.queue.length - this.queueHead;
    }

    private kick(): void {
        this.progress += 1;
        if (this.stepPending || this.stopped) return;
        this.stepPending = true;
        setImmediate(() => {
            this.stepPending = false;
            this.step();
        });
    }

    private step(): void {
        if (this.stopped) return;
        this.pump();
        if (this.running > this.sleepingOnClock()) {
            this.watchForStall();
            return;
        }
        // Queued work left after pump() waits for a slot that sleeping work holds: only the clock can free it.
        const waitingForSlot = this.queued > 0;
        if (!waitingForSlot) {
            this.fireDue();
            if (this.queued > 0) {
                this.kick();
                return;
            }
        }
        const next = this.autoAdvances() ? this.nextClockEvent() : undefined;
        if (next !== undefined && isVirtualClock(this.clock)) {
            // advanceTo notifies the onAdvance listener, which fires what is due and kicks again.
            if (next > this.clock.now()) this.clock.advanceTo(next);
            else this.fireDue();
            this.kick();
            return;
        }
        this.resolveIdle();
    }

    /**
     * Running work that does not sleep on the virtual clock may still wait for work that does (a
     * request queued behind the connection pool's sleeping requests): when nothing has moved for
     * STALL_MS of real time while something sleeps, the clock moves to the earliest wake-up, as it
     * would in a real world where those requests answer. Never on a real clock.
     */
    private watchForStall(): void {
        if (this.watchdog !== undefined || !this.autoAdvances() || this.sleepingOnClock() === 0) return;
        const seen = this.progress;
        this.watchdog = setTimeout(() => {
            this.watchdog = undefined;
            if (this.stopped || this.progress !== seen || !isVirtualClock(this.clock) || !this.clock.autoAdvance) return this.kick();
            const wake = this.clock.nextWakeAt();
            if (wake !== undefined) this.clock.advanceTo(wake);
            this.kick();
        }, STALL_MS);
        this.watchdog.unref();
    }

    private autoAdvances(): boolean {
        return isVirtualClock(this.clock) && this.clock.autoAdvance;
    }

    /**
     * Work blocked on a virtual clock's sleep() (a simulated stand-in latency). When every running
     * item is blocked so, nothing can happen before the clock moves: the host moves it, as it does for
     * durable timers. Zero on a real clock and whenever nothing sleeps, as in every test world.
     */
    private sleepingOnClock(): number {
        return isVirtualClock(this.clock) ? this.clock.sleepers : 0;
    }

    /** The earliest time the clock must move to: the next durable timer (when one is pending) or sleep() wake-up. */
    private nextClockEvent(): number | undefined {
        const timer = this.clockDrivers > 0 ? this.nextLiveEntry()?.at : undefined;
        const wake = isVirtualClock(this.clock) ? this.clock.nextWakeAt() : undefined;
        if (timer === undefined) return wake;
        return wake === undefined ? timer : Math.min(timer, wake);
    }

    private pump(): void {
        while (this.running < this.concurrency && this.queued > 0) {
            const work = this.queue[this.queueHead] as Work;
            this.queue[this.queueHead] = undefined as unknown as Work;
            this.queueHead += 1;
            if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
                this.queue.splice(0, this.queueHead);
                this.queueHead = 0;
            }
            this.running += 1;
            Promise.resolve()
                .then(work)
                .catch(this.onError)
                .finally(() => {
                    this.running -= 1;
                    this.kick();
                });
        }
    }

    private nextLiveEntry(): Entry | undefined {
        let top = this.heap.peek();
        while (top?.canceled) {
            this.heap.pop();
            top = this.heap.peek();
        }
        return top;
    }

    private fireDue(): void {
        const now = this.clock.now();
        for (let next = this.nextLiveEntry(); next && next.at <= now; next = this.nextLiveEntry()) {
            this.heap.pop();
            next.canceled = true;
            if (next.work.drivesClock) this.clockDrivers -= 1;
            try {
                next.work.fire();
            } catch (error) {
                this.onError(error);
            }
        }
    }

    /** On a real clock, timed work fires when due even while other work runs. */
    private armRealTimer(): void {
        if (this.stopped) return;
        if (this.realTimer) clearTimeout(this.realTimer);
        this.realTimer = undefined;
        if (isVirtualClock(this.clock)) return;
        const next = this.nextLiveEntry();
        if (!next) return;
        const delay = Math.min(Math.max(0, next.at - this.clock.now()), MAX_TIMEOUT_MS);
        this.realTimer = setTimeout(() => {
            this.realTimer = undefined;
            this.fireDue();
            this.armRealTimer();
            this.kick();
        }, delay);
        this.realTimer.unref();
    }

    private resolveIdle(): void {
        if (this.idleWaiters.length === 0) return;
        if (!this.stopped && (this.running > 0 || this.queued > 0 || (this.autoAdvances() && this.clockDrivers > 0))) return;
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
    }
}
