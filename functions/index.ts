/**
 * The app's entry point (package.json "main"): importing each module registers its functions.
 * Registering needs only names, routes and schedules: each handler's module is imported on the
 * handler's first invocation and the SDK clients on their first use, so loading the app stays cheap.
 */
import './http/register';
import './timer/register';
import '../orchestrators/register';
import '../activities/register';
