import { Router } from 'express';
import { discovery, scimError } from '../scimmy/index.ts';
import { scimBaseOf } from './context.ts';
import { listResponse, sendScim } from './send.ts';

/** /ServiceProviderConfig, /ResourceTypes, /Schemas — read-only, authenticated like the rest. */
export function discoveryRoutes(): Router {
  const router = Router();

  router.get('/ServiceProviderConfig', (req, res) => {
    sendScim(res, 200, discovery.serviceProviderConfig(scimBaseOf(res)));
  });

  router.get('/ResourceTypes', (req, res) => {
    const all = discovery.resourceTypes(scimBaseOf(res));
    sendScim(res, 200, listResponse(all, all.length, 1));
  });
  router.get('/ResourceTypes/:id', (req, res) => {
    const found = discovery.resourceType(scimBaseOf(res), req.params.id);
    if (!found) throw scimError(404, null, `ResourceType ${req.params.id} not found`);
    sendScim(res, 200, found);
  });

  router.get('/Schemas', (req, res) => {
    const all = discovery.schemas(scimBaseOf(res));
    sendScim(res, 200, listResponse(all, all.length, 1));
  });
  router.get('/Schemas/:id', (req, res) => {
    const found = discovery.schema(scimBaseOf(res), req.params.id);
    if (!found) throw scimError(404, null, `Schema ${req.params.id} not found`);
    sendScim(res, 200, found);
  });
  return router;
}
