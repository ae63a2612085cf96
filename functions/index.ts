/**
 * The app's entry point (package.json "main"): importing each module registers its functions.
 * Modules load their SDK clients on first use, so loading the app stays cheap.
 */
import './http/onboard-tenant';
import './http/get-run';
import './http/tenants';
import './http/openapi';
import './http/verify-tenant';
import './timer/reverify-all-timer';
import '../orchestrators/register';
import '../activities/register';
