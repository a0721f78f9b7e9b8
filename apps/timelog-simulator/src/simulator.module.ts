import { DynamicModule, Module } from '@nestjs/common';
import { ControlController } from './control/control.controller';
import { HealthController } from './health.controller';
import { SiteChaos } from './soap/site-chaos';
import { SoapController } from './soap/soap.controller';
import { SoapEndpoint } from './soap/soap-endpoint';
import { Clock } from './store/clock';
import { SimulatorStore } from './store/simulator-store';

@Module({})
export class SimulatorModule {
  static register(store: SimulatorStore, strict: boolean): DynamicModule {
    const clock = new Clock();
    const chaos = new SiteChaos();
    return {
      module: SimulatorModule,
      // SoapController last: its `:account/*path` route would otherwise shadow `/_sim` and `/health`.
      controllers: [HealthController, ControlController, SoapController],
      providers: [
        { provide: SimulatorStore, useValue: store },
        { provide: Clock, useValue: clock },
        { provide: SiteChaos, useValue: chaos },
        { provide: SoapEndpoint, useValue: new SoapEndpoint(store, chaos, clock, strict) },
      ],
    };
  }
}
