import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { AppUserController } from './control/app-user.controller';
import { CompaniesController } from './control/companies.controller';
import { CompanySetupController } from './control/company-setup.controller';
import { ControlCompanies } from './control/control-company';
import { CustomFieldCommands } from './forecast/custom-field-commands';
import { TaskCommands } from './forecast/task-commands';
import { TimeRegistrationCommands } from './forecast/time-registration-commands';
import { DirectoryController } from './http/directory.controller';
import { ForecastApiGuard } from './http/forecast-api.guard';
import { HealthController } from './http/health.controller';
import { StateChangeMiddleware } from './http/state-change.middleware';
import { TasksController } from './http/tasks.controller';
import { TimeRegistrationsController } from './http/time-registrations.controller';
import { WebhookSubscriptionsController } from './http/webhook-subscriptions.controller';
import { SIMULATOR_OPTIONS, SimulatorOptions } from './simulator-options';
import { SimulatorStore } from './state/simulator-store';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher';

@Module({})
export class AppModule implements NestModule {
  static register(options: SimulatorOptions, store: SimulatorStore): DynamicModule {
    return {
      module: AppModule,
      controllers: [
        HealthController,
        TasksController,
        TimeRegistrationsController,
        DirectoryController,
        WebhookSubscriptionsController,
        CompaniesController,
        CompanySetupController,
        AppUserController,
      ],
      providers: [
        { provide: SIMULATOR_OPTIONS, useValue: options },
        { provide: SimulatorStore, useValue: store },
        ForecastApiGuard,
        WebhookDispatcher,
        TaskCommands,
        TimeRegistrationCommands,
        CustomFieldCommands,
        ControlCompanies,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(StateChangeMiddleware).forRoutes('*path');
  }
}
