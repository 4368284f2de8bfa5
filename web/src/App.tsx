import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { hasRole } from './auth';
import { CenteredLoader } from './components/CenteredLoader';
import { RequireAuth } from './layout/RequireAuth';
import { RequireRole } from './layout/RequireRole';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { OverviewPage } from './pages/OverviewPage';
import { useCurrentSession } from './session';

// Supervisor/admin pages are loaded on demand: they pull in tables, modals and
// selects that the login page and an agent's overview do not need.
const UsersPage = lazy(() => import('./pages/UsersPage').then((m) => ({ default: m.UsersPage })));
const ApiKeysPage = lazy(() => import('./pages/ApiKeysPage').then((m) => ({ default: m.ApiKeysPage })));
// The agent desk is the biggest page (virtual list, composer, realtime cache updates).
const InboxPage = lazy(() => import('./pages/InboxPage').then((m) => ({ default: m.InboxPage })));
const RoutingLivePage = lazy(() => import('./routing/RoutingLivePage').then((m) => ({ default: m.RoutingLivePage })));
const RoutingSetupPage = lazy(() => import('./routing/RoutingSetupPage').then((m) => ({ default: m.RoutingSetupPage })));
const ChannelsPage = lazy(() => import('./channels/ChannelsPage').then((m) => ({ default: m.ChannelsPage })));
const ClvPage = lazy(() => import('./clv/ClvPage').then((m) => ({ default: m.ClvPage })));
const FlowsPage = lazy(() => import('./flows/FlowsPage').then((m) => ({ default: m.FlowsPage })));
const FlowEditorPage = lazy(() => import('./flows/FlowEditorPage').then((m) => ({ default: m.FlowEditorPage })));
const OutboxPage = lazy(() => import('./pages/OutboxPage').then((m) => ({ default: m.OutboxPage })));
const WallboardPage = lazy(() => import('./analytics/WallboardPage').then((m) => ({ default: m.WallboardPage })));
const ReportsPage = lazy(() => import('./analytics/ReportsPage').then((m) => ({ default: m.ReportsPage })));
const BenchmarkPage = lazy(() => import('./benchmark/BenchmarkPage').then((m) => ({ default: m.BenchmarkPage })));
const SlaSettingsPage = lazy(() => import('./sla/SlaSettingsPage').then((m) => ({ default: m.SlaSettingsPage })));
const OutcomesSettingsPage = lazy(() => import('./outcomes/OutcomesSettingsPage').then((m) => ({ default: m.OutcomesSettingsPage })));
const ForecastPage = lazy(() => import('./workforce/ForecastPage').then((m) => ({ default: m.ForecastPage })));
const StaffingPage = lazy(() => import('./workforce/StaffingPage').then((m) => ({ default: m.StaffingPage })));
const SimulationPage = lazy(() => import('./workforce/SimulationPage').then((m) => ({ default: m.SimulationPage })));
const AutomationPage = lazy(() => import('./automation/AutomationPage').then((m) => ({ default: m.AutomationPage })));
const KnowledgePage = lazy(() => import('./knowledge/KnowledgePage').then((m) => ({ default: m.KnowledgePage })));

export function App() {
  return (
    <Suspense fallback={<CenteredLoader />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route element={<RequireAuth />}>
          <Route index element={<HomePage />} />
          <Route path="inbox/:conversationId?" element={<InboxPage />} />
          <Route path="users" element={<RequireRole role="supervisor"><UsersPage /></RequireRole>} />
          <Route path="api-keys" element={<RequireRole role="admin"><ApiKeysPage /></RequireRole>} />
          {/* Not `/channels`: the server keeps that prefix for providers' webhooks, so a reload there never reaches the app. */}
          <Route path="settings/channels" element={<RequireRole role="admin"><ChannelsPage /></RequireRole>} />
          <Route path="channels" element={<Navigate to="/settings/channels" replace />} />
          <Route path="clv" element={<RequireRole role="supervisor"><ClvPage /></RequireRole>} />
          <Route path="settings/flows" element={<RequireRole role="supervisor"><FlowsPage /></RequireRole>} />
          <Route path="settings/flows/:id" element={<RequireRole role="supervisor"><FlowEditorPage /></RequireRole>} />
          <Route path="outbox" element={<RequireRole role="supervisor"><OutboxPage /></RequireRole>} />
          <Route path="routing" element={<RequireRole role="supervisor"><RoutingLivePage /></RequireRole>} />
          <Route path="routing/setup" element={<RequireRole role="supervisor"><RoutingSetupPage /></RequireRole>} />
          <Route path="wallboard" element={<RequireRole role="supervisor"><WallboardPage /></RequireRole>} />
          <Route path="reports" element={<RequireRole role="supervisor"><ReportsPage /></RequireRole>} />
          <Route path="benchmark" element={<RequireRole role="supervisor"><BenchmarkPage /></RequireRole>} />
          <Route path="workforce/forecast" element={<RequireRole role="supervisor"><ForecastPage /></RequireRole>} />
          <Route path="workforce/staffing" element={<RequireRole role="supervisor"><StaffingPage /></RequireRole>} />
          <Route path="workforce/simulations" element={<RequireRole role="supervisor"><SimulationPage /></RequireRole>} />
          <Route path="settings/automation" element={<RequireRole role="supervisor"><AutomationPage /></RequireRole>} />
          <Route path="settings/sla" element={<RequireRole role="admin"><SlaSettingsPage /></RequireRole>} />
          <Route path="settings/outcomes" element={<RequireRole role="admin"><OutcomesSettingsPage /></RequireRole>} />
          <Route path="knowledge" element={<KnowledgePage />} />
          <Route path="overview" element={<OverviewPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </Suspense>
  );
}

/** `/`: agents start at their inbox; supervisors and admins at the overview. */
function HomePage() {
  const { user } = useCurrentSession();
  return hasRole(user.role, 'supervisor') ? <OverviewPage /> : <Navigate to="/inbox" replace />;
}
