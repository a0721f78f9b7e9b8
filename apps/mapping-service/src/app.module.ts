import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Infrastructure, OPERATOR_TOKEN_HASH, OperatorGuard, ServiceRuntimeModule } from '@timelog-sync/service-runtime';
import { AdminSignIn, clientGateways, IncidentNotices, noticeChannels, CompanyActivation, CompanyRegistry, IntegrationLinks, ProjectBackfills, Reconciliation, registerDriftGauge, RoleGrants, SettingsChanges, SyncPauseControl, SyncStatus } from '@timelog-sync/administration';
import { CompanyConnections, CredentialVault, tokenHash } from '@timelog-sync/company-directory';
import { PollStates } from '@timelog-sync/timelog-polling';
import { CredentialCipher, parseCredentialKeys } from '@timelog-sync/crypto';
import { MappingServiceConfig } from './config';
import { CompanyAdminGuard } from './http/admin-auth.guard';
import { OperatorController } from './http/operator.controller';
import { CompanyAdminController } from './http/company-admin.controller';
import { AdministrationErrorFilter } from './http/administration-error.filter';
import { VendorFailureFilter } from './http/vendor-failure.filter';
import { ReconciliationController } from './http/reconciliation.controller';
import { NightlyReconciliation } from './nightly-reconciliation';
import { IncidentSchedule } from './incident-schedule';
import { ADMIN_SIGN_IN, SESSION_COOKIE, SessionCookie } from './http/admin-session';
import { AuthController } from './http/auth.controller';
import { RoleGrantsController } from './http/role-grants.controller';

@Module({})
export class MappingServiceModule {
  static register(infrastructure: Infrastructure, config: MappingServiceConfig): DynamicModule {
    const { dataSource } = infrastructure;
    const vault = new CredentialVault(new CredentialCipher(parseCredentialKeys(config.CREDENTIAL_KEYS), config.CREDENTIAL_KEY_CURRENT));
    const reconciliation = new Reconciliation(dataSource, new CompanyConnections(dataSource, vault));
    registerDriftGauge(dataSource);
    return {
      module: MappingServiceModule,
      imports: [ServiceRuntimeModule.forRoot(infrastructure)],
      controllers: [OperatorController, RoleGrantsController, AuthController, CompanyAdminController, ReconciliationController],
      providers: [
        { provide: OPERATOR_TOKEN_HASH, useValue: tokenHash(config.OPERATOR_TOKEN) },
        { provide: CompanyRegistry, useValue: new CompanyRegistry(dataSource, config.FORECAST_BASE_URL) },
        {
          provide: CompanyActivation,
          useValue: new CompanyActivation({
            dataSource,
            vault,
            gateways: clientGateways,
            webhookBaseUrl: config.INGESTOR_PUBLIC_URL,
            timelogDomains: { hostPatterns: config.TIMELOG_HOST_PATTERNS, extraOrigins: config.TIMELOG_EXTRA_ORIGINS },
          }),
        },
        { provide: IntegrationLinks, useValue: new IntegrationLinks({ dataSource, vault, gateways: clientGateways }) },
        { provide: SyncStatus, useValue: new SyncStatus(dataSource) },
        { provide: ProjectBackfills, useValue: new ProjectBackfills(dataSource) },
        { provide: Reconciliation, useValue: reconciliation },
        { provide: NightlyReconciliation, useValue: new NightlyReconciliation(reconciliation, { cron: config.RECONCILIATION_REPORT_CRON || null, days: config.RECONCILIATION_REPORT_DAYS }) },
        { provide: APP_FILTER, useClass: AdministrationErrorFilter },
        { provide: APP_FILTER, useClass: VendorFailureFilter },
        {
          provide: ADMIN_SIGN_IN,
          useValue: config.OIDC_ISSUER
            ? new AdminSignIn(dataSource, {
                issuer: config.OIDC_ISSUER,
                clientId: config.OIDC_CLIENT_ID,
                clientSecret: config.OIDC_CLIENT_SECRET!,
                redirectUri: new URL('/auth/callback', config.CONSOLE_PUBLIC_URL).href,
                sessionHours: config.ADMIN_SESSION_HOURS,
              })
            : null,
        },
        { provide: SESSION_COOKIE, useValue: new SessionCookie(config.CONSOLE_PUBLIC_URL) },
        { provide: RoleGrants, useValue: new RoleGrants(dataSource) },
        { provide: SettingsChanges, useValue: new SettingsChanges(dataSource) },
        { provide: SyncPauseControl, useValue: new SyncPauseControl(dataSource) },
        { provide: PollStates, useValue: new PollStates(dataSource) },
        {
          provide: IncidentSchedule,
          useValue: new IncidentSchedule(
            config.SMTP_URL || config.NOTICE_WEBHOOK_URL
              ? new IncidentNotices(dataSource, noticeChannels({ smtpUrl: config.SMTP_URL ?? 'smtp://127.0.0.1:25', from: config.NOTICE_FROM, webhookUrl: config.NOTICE_WEBHOOK_URL }), {
                  vendorDownAfterMs: config.VENDOR_DOWN_NOTICE_MINUTES * 60_000,
                  parkedItemsThreshold: config.PARKED_NOTICE_THRESHOLD,
                  deadLettersThreshold: config.DEAD_LETTER_NOTICE_THRESHOLD,
                })
              : null,
            config.INCIDENT_CHECK_SECONDS * 1000,
          ),
        },
        CompanyAdminGuard,
        OperatorGuard,
      ],
    };
  }
}
