import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { BrowserModules } from './browser-modules';

@Controller('js')
export class BrowserModulesController {
  constructor(private readonly modules: BrowserModules) {}

  @Get('*path')
  module(@Param('path') path: string[], @Res() response: Response): void {
    const code = this.modules.get(path.join('/'));
    if (code === undefined) throw new NotFoundException();
    response.type('text/javascript').setHeader('cache-control', 'no-cache').send(code);
  }
}
