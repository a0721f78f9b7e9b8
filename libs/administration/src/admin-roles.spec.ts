import { mayAct, roleIn, RoleGrant } from './admin-roles';

describe('admin roles', () => {
  const editorOfA: RoleGrant[] = [{ companyId: 'a', role: 'editor' }];

  it('lets an editor read and edit their company but not change its credentials', () => {
    expect(mayAct(editorOfA, 'a', 'viewer')).toBe(true);
    expect(mayAct(editorOfA, 'a', 'editor')).toBe(true);
    expect(mayAct(editorOfA, 'a', 'owner')).toBe(false);
  });

  it('gives no role in a company without a grant there', () => {
    expect(roleIn(editorOfA, 'b')).toBeNull();
    expect(mayAct(editorOfA, 'b', 'viewer')).toBe(false);
  });

  it('lets a viewer only read', () => {
    const viewer: RoleGrant[] = [{ companyId: 'a', role: 'viewer' }];
    expect(mayAct(viewer, 'a', 'viewer')).toBe(true);
    expect(mayAct(viewer, 'a', 'editor')).toBe(false);
  });

  it('lets an operator do everything in every company', () => {
    const operator: RoleGrant[] = [{ companyId: null, role: 'operator' }];
    expect(mayAct(operator, 'any', 'owner')).toBe(true);
    expect(roleIn(operator, 'any')).toBe('operator');
  });
});
